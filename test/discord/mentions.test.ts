import { describe, expect, it } from 'vitest';
import { cleanQuestion } from '../../src/core/text/question.js';
import { stripMentions } from '../../src/discord/mentions.js';

/** What the bot asks the engine: mentions stripped, then the question cleaned (as in bot.ts). */
const asked = (content: string): string => cleanQuestion(stripMentions(content));

describe('stripMentions', () => {
  it('strips @everyone and @here that Discord defused with a zero-width space', () => {
    const q = asked("@\u200beveryone @\u200bhere Qui dirige l'ONUDC ?");
    expect(q).toBe("Qui dirige l'ONUDC ?");
    expect(q).not.toMatch(/everyone|here/u);
  });

  it('strips user, role and channel mentions with zero-width or bidi marks inside', () => {
    expect(asked("<@\u200b123> <@!\u2066123\u2069> <\u200e@&456> <#\ufeff789> Qui dirige l'ONUDC ?")).toBe("Qui dirige l'ONUDC ?");
  });

  it('still strips plain mentions and keeps the rest', () => {
    expect(stripMentions("<@123> <@!123> <@&456> <#789> @everyone @here Qui dirige l'ONUDC ?")).toBe("Qui dirige l'ONUDC ?");
    expect(stripMentions('écrit à contact@everyonecorp.fr')).toBe('écrit à contact@everyonecorp.fr');
  });
});
