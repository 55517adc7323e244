import readline from 'node:readline';
import { isHelpRequest, QuestionError, summaryRequest } from '../core/text/index.js';
import { Conversations, type Engine } from '../engine/index.js';
import { answerText, helpText, newsText, summaryText } from './output.js';

/**
 * The bot in a terminal: same engine, same answers, for trying it before connecting it to
 * Discord. Reads questions until end of input.
 */
export async function runConsoleChat(engine: Engine, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const rl = readline.createInterface({ input, output, terminal: (input as NodeJS.ReadStream).isTTY === true });
  const prompt = (): void => {
    output.write('\nask> ');
  };
  // One person, one place: each question may follow up on the one before ("Et quand ?").
  const conversation = new Conversations();
  const key = Conversations.key(null, 'terminal', 'you');
  prompt();
  for await (const line of rl) {
    if (line.trim() !== '') {
      try {
        if (isHelpRequest(line)) {
          const titles = engine.suggestArticles('', 50).filter((a) => a.kind === 'article').map((a) => a.title);
          output.write(`${helpText(line, titles)}\n`);
        } else {
          const library = engine.library(null);
          const fresh = await library.news(line);
          const wanted = fresh ? null : summaryRequest(line);
          const summed = wanted ? await library.summary(wanted.topic) : null;
          if (fresh || summed) {
            output.write(`${fresh ? newsText(line, fresh) : summaryText(summed!)}\n`);
          } else {
            const answer = await library.ask(line, { previous: conversation.previous(key) });
            conversation.remember(key, answer);
            output.write(`${answerText(answer)}\n`);
          }
        }
      } catch (error) {
        output.write(`${error instanceof QuestionError ? error.message : 'Something went wrong while answering.'}\n`);
      }
    }
    prompt();
  }
  output.write('\n');
}
