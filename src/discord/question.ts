import type { Lang } from '../core/text/index.js';
import { QuestionError, cleanQuestion } from '../core/text/index.js';
import { TEXT } from './i18n.js';
import { notice, type Reply } from './render.js';

/** The cleaned question, or the reply explaining (in the asker's language) why it cannot be asked. */
export function validQuestion(raw: string, lang: Lang): string | Reply {
  try {
    return cleanQuestion(raw);
  } catch (error) {
    if (!(error instanceof QuestionError)) throw error;
    return notice(error.kind === 'empty' ? TEXT[lang].empty : TEXT[lang].tooLong(error.limit));
  }
}
