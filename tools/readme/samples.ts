/**
 * The README's sample answers, from a real run: `npm run readme:samples` writes them between the
 * README's `<!-- samples -->` markers, and the quality gate (test/gate/readme-samples.test.ts)
 * fails when the README no longer shows what the bot, as deployed, prints.
 */
import type { Engine } from '../../src/engine/index.js';
import { Conversations } from '../../src/engine/index.js';
import { answerText } from '../../src/cli/output.js';

/** Single questions (each alone), then a conversation (each turn following the one before). */
export const SAMPLE_QUESTIONS = ['Quand le président sud-africain est-il arrivé à Hanoï ?', 'Who leads the UNODC?', 'Quel âge a Cyril Ramaphosa ?', 'Quelle est la recette de la tarte aux pommes ?'];
export const SAMPLE_CONVERSATION = ['Qui a reçu les chefs de délégation ?', 'Et quand ?'];

const START = '<!-- samples: written by `npm run readme:samples` from a real run; checked by the quality gate -->';
const END = '<!-- /samples -->';

/** What `npm run -s ask` prints for each sample, as a terminal shows it. */
export async function renderSamples(engine: Engine): Promise<string> {
  const library = engine.library(null);
  const blocks: string[] = [];
  for (const q of SAMPLE_QUESTIONS) blocks.push(`$ npm run -s ask -- "${q}"\n${answerText(await library.ask(q))}`);
  const conversation = new Conversations();
  const turns: string[] = [];
  for (const q of SAMPLE_CONVERSATION) {
    const answer = await library.ask(q, { previous: conversation.previous('sample') });
    conversation.remember('sample', answer);
    turns.push(`ask> ${q}\n${answerText(answer)}`);
  }
  blocks.push(`$ npm start   # the terminal chat: each question may follow up on the one before\n${turns.join('\n\n')}`);
  return `${START}\n\`\`\`\n${blocks.join('\n\n')}\n\`\`\`\n${END}`;
}

/** The README with its samples block replaced; throws when the markers are missing. */
export function withSamples(readme: string, samples: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error('README.md has no samples block (its markers are missing)');
  return `${readme.slice(0, from)}${samples}${readme.slice(to + END.length)}`;
}

/** The samples block the README holds now. */
export function samplesIn(readme: string): string | null {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  return from < 0 || to < from ? null : readme.slice(from, to + END.length);
}
