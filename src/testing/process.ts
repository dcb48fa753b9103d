/** Runs the real `pitlane` CLI as a child process (for restart, lock, crash and backup tests). */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../bin/pitlane.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  setupToken: string | null;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pitlane ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `pitlane serve` on a free port and resolves once it listens. */
export function startServerProcess(
  env: Record<string, string>,
  args: string[] = [],
  timeoutMs = 180_000,
  /** Extra Node.js flags for the server process (e.g. `--cpu-prof`). */
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', ...args], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        PITLANE_LOG_LEVEL: 'warn',
        PITLANE_MQTT_PORT: '0',
        PITLANE_WEB_BUILD: 'off',
        ...env,
      },
      stdio: 'pipe',
    });
    let out = '';
    let done = false;
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (m && !done) {
        // Wait a moment for the setup-token lines that follow.
        setTimeout(() => {
          done = true;
          clearTimeout(timer);
          const token = /^\s+(setup-[A-Za-z0-9_-]+)$/m.exec(out)?.[1] ?? null;
          resolve({
            child,
            url: m[1]!.replace('localhost', '127.0.0.1'),
            output: () => out,
            setupToken: token,
            stop: (signal = 'SIGTERM') =>
              new Promise((res) => {
                if (child.exitCode !== null) return res(child.exitCode);
                child.once('exit', (code) => res(code));
                child.kill(signal);
              }),
          });
        }, 200);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        reject(new Error(`pitlane serve exited with ${code}:\n${out}`));
      }
    });
    const timer = setTimeout(() => {
      if (!done) {
        done = true;
        child.kill('SIGKILL');
        reject(new Error(`pitlane serve did not start in time:\n${out}`));
      }
    }, timeoutMs);
  });
}

/** A TCP port free on 127.0.0.1 right now (for a broker or server a test or benchmark starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}
