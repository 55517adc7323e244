import cliProgress from 'cli-progress';

/**
 * Embedding progress: a bar on a terminal, a plain line every 10% elsewhere (CI logs, pipes),
 * where a redrawn bar would only print garbage.
 */
export function embeddingProgress(stream: NodeJS.WriteStream = process.stderr): { update: (done: number, total: number) => void; stop: () => void } {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'Embedding {bar} {value}/{total} texts | {eta_formatted} left', stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastTenth = -1;
  return {
    update(done, total) {
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        stream.write(`Embedding: ${done}/${total} texts\n`);
      }
    },
    stop: () => {},
  };
}
