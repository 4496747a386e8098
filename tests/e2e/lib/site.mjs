// The site under test: a temporary data folder with sample-content/ (the seed transcript in English
// and Russian: one asset, two translations) and a generated corpus imported by the real
// `assetpub` binary, served by `assetpub serve` on a free port. startSite() resolves once
// /healthz answers; stop() sends SIGTERM, waits for the exit and removes the folder.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Runs the binary to completion; throws with its output when it exits non-zero.
async function assetpub(binary, args) {
  try {
    return await run(binary, args, { maxBuffer: 64 << 20 });
  } catch (error) {
    throw new Error(
      `\`assetpub ${args.join(' ')}\` failed (exit ${error.code}):\n${error.stdout}${error.stderr}`,
    );
  }
}

// Starts `assetpub serve --listen 127.0.0.1:0` and resolves with the port it prints.
function serve(binary, dataDir) {
  const child = spawn(binary, ['--data', dataDir, 'serve', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never outlive the test process: not when it fails, nor when it is interrupted (a CTest
  // timeout, Ctrl-C).
  const killChild = () => child.kill('SIGKILL');
  const onSignal = (signal) => process.exit(signal === 'SIGINT' ? 130 : 143);
  process.once('exit', killChild);
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  child.once('exit', () => {
    process.removeListener('exit', killChild);
    process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
  });
  let output = '';
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`assetpub serve printed no 'listening on' line in 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      if (process.env.ASSETPUB_E2E_SERVER_LOG) process.stderr.write(chunk);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`assetpub serve exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return { child, port };
}

async function waitForHealth(baseUrl) {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${baseUrl}/healthz did not answer 200 within 30 s (last: ${last})`);
}

// Exits the server with SIGTERM (SIGKILL after `timeoutMs`); resolves with its exit code, or
// null when it had to be killed.
function terminate(child, timeoutMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

/**
 * Imports the content and starts the server. `config`, when given, is the data folder's
 * config.toml (else the defaults are written); `corpusCount` 0 imports no generated corpus.
 * @param {{binary: string, sourceDir: string, corpusCount?: number, config?: string}} options
 * @returns {Promise<{baseUrl: string, dataDir: string, stop: () => Promise<number|null>}>}
 */
export async function startSite({ binary, sourceDir, corpusCount = 300, config }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'assetpub-e2e-'));
  let server = null;
  const cleanUp = async () => {
    const code = server ? await terminate(server.child) : 0;
    rmSync(dataDir, { recursive: true, force: true });
    return code;
  };
  try {
    // Without a config.toml the first command writes the default one (site name, languages,
    // publishers).
    if (config !== undefined) writeFileSync(join(dataDir, 'config.toml'), config);
    // --wait-index: the tests search at once, so the index must hold what was imported.
    const samples = join(sourceDir, 'sample-content');
    await assetpub(binary, ['--data', dataDir, 'import', '--wait-index', samples]);
    if (corpusCount > 0) {
      const corpus = join(dataDir, 'corpus');
      await assetpub(binary, [
        'gen-corpus', '--count', String(corpusCount), '--seed', '7', '--out', corpus,
      ]);
      await assetpub(binary, ['--data', dataDir, 'import', '--wait-index', corpus]);
    }
    server = serve(binary, dataDir);
    const baseUrl = `http://127.0.0.1:${await server.port}`;
    await waitForHealth(baseUrl);
    return { baseUrl, dataDir, stop: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
