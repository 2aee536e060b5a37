import { createInterface } from 'node:readline/promises';

/**
 * Asks one question on the terminal (the question on stderr, so stdout stays the result). With
 * `hidden`, what is typed is not echoed: stdin is read raw, keeping Backspace, Enter and Ctrl-C.
 */
export async function promptOnTerminal(question: string, options: { hidden: boolean }): Promise<string> {
  const { stdin, stderr } = process;
  if (!options.hidden) {
    const readline = createInterface({ input: stdin, output: stderr });
    try {
      return await readline.question(question);
    } finally {
      readline.close();
    }
  }
  stderr.write(question);
  return new Promise((resolve) => {
    let answer = '';
    const finish = (value: string) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(answer);
        if (char === '\u0003') {
          stdin.setRawMode(false);
          stderr.write('\n');
          process.exit(130);
        }
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
        else if (char >= ' ') answer += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
