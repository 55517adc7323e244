import { describe, expect, it } from 'vitest';
import { cleanQuestion, removeInvisible } from '../src/core/text/question.js';

describe('cleanQuestion', () => {
  it('removes whole ANSI escape sequences, not only their control character', () => {
    expect(cleanQuestion("\u001b[31mQui dirige l'ONUDC ?\u001b[0m")).toBe("Qui dirige l'ONUDC ?");
    expect(cleanQuestion('\u001b[1;4mQui\u001b[m dirige \u009b32ml’ONUDC\u009b0m ?')).toBe('Qui dirige l’ONUDC ?');
    // OSC: a terminal hyperlink and a window title.
    expect(cleanQuestion('\u001b]8;;https://exemple.org\u0007ONUDC\u001b]8;;\u0007 ? \u001b]0;titre\u001b\\')).toBe('ONUDC ?');
  });

  it('removes zero-width marks inside an escape sequence too, then other control characters', () => {
    expect(cleanQuestion('\u001b[\u200b31mQui\u001b[0m\u0000dirige ?')).toBe('Qui dirige ?');
  });

  it('keeps the rest as it was: zero-width and bidi marks dropped, control characters as spaces', () => {
    expect(cleanQuestion('\u200fSinga\u200bpour\u202e proto\u0000\u0007cole\u007f ?')).toBe('Singapour proto cole ?');
    expect(removeInvisible('@\u200beveryone')).toBe('@everyone');
  });
});
