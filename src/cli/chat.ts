import readline from 'node:readline';
import { isHelpRequest, QuestionError, summaryRequest } from '../core/text/index.js';
import type { Engine } from '../engine/index.js';
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
          output.write(`${fresh ? newsText(line, fresh) : summed ? summaryText(summed) : answerText(await engine.ask(line))}\n`);
        }
      } catch (error) {
        output.write(`${error instanceof QuestionError ? error.message : 'Something went wrong while answering.'}\n`);
      }
    }
    prompt();
  }
  output.write('\n');
}
