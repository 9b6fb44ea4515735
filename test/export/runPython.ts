import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs generated Python scripts as they are — `python3 script.py inputs.json result.json`
 * — many of them in one interpreter (importing torch takes a second or more), through
 * runpy with run_name "__main__" and sys.argv set as the shell would set it.
 */

/** Debian's python (the one with python3-torch); the python3 on PATH may be another. */
export const PYTHON = '/usr/bin/python3';

export interface ScriptJob {
  id: string;
  script: string;
  /** Written to <id>.json and passed as the first argument; omitted: the script runs without arguments. */
  inputs?: unknown;
}

export type ScriptResult =
  | { ok: true; shape: number[]; data: number[]; max_abs_diff_builtin?: number }
  | { ok: false; error: string };

const DRIVER = `
import json, runpy, sys, traceback
jobs_path, results_path = sys.argv[1], sys.argv[2]
jobs = json.load(open(jobs_path))
results = {}
for job in jobs:
    argv = [job["script"]] + ([job["inputs"]] if job["inputs"] else []) + [job["out"]]
    sys.argv = argv
    try:
        runpy.run_path(job["script"], run_name="__main__")
        results[job["id"]] = dict(json.load(open(job["out"])), ok=True)
    except BaseException:
        results[job["id"]] = {"ok": False, "error": traceback.format_exc(limit=3)}
json.dump(results, open(results_path, "w"))
`;

/** Fails with a clear message when Debian's python or its torch is missing. */
export function requireModule(
  module: string,
  install: string,
  python = PYTHON,
  env: Record<string, string> = {},
): string {
  if (!existsSync(python))
    throw new Error(
      `${python} is missing: install Debian's python3 and ${install} (apt-get install -y ${install})`,
    );
  const probe = spawnSync(python, ['-c', `import ${module}; print(${module}.__version__)`], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  if (probe.status !== 0) {
    throw new Error(
      `${python} cannot import ${module} (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()}): run apt-get install -y ${install}`,
    );
  }
  return probe.stdout.trim();
}

export function runScripts(
  jobs: ScriptJob[],
  env: Record<string, string> = {},
  python = PYTHON,
): { results: Record<string, ScriptResult>; ms: number } {
  const dir = mkdtempSync(join(tmpdir(), 'einsketch-export-'));
  try {
    const spec = jobs.map((job) => {
      const script = join(dir, `${job.id}.py`);
      writeFileSync(script, job.script);
      let inputs: string | null = null;
      if (job.inputs !== undefined) {
        inputs = join(dir, `${job.id}.json`);
        writeFileSync(inputs, JSON.stringify(job.inputs));
      }
      return { id: job.id, script, inputs, out: join(dir, `${job.id}.out.json`) };
    });
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify(spec));
    writeFileSync(join(dir, 'driver.py'), DRIVER);
    const t = performance.now();
    const run = spawnSync(
      python,
      [join(dir, 'driver.py'), join(dir, 'jobs.json'), join(dir, 'results.json')],
      {
        encoding: 'utf8',
        timeout: 300_000,
        cwd: dir,
        env: { ...process.env, ...env },
      },
    );
    const ms = performance.now() - t;
    if (run.status !== 0)
      throw new Error(
        `the Python driver failed (${run.status}): ${run.stderr || run.error?.message}`,
      );
    return { results: JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')), ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one script from the shell, as a user would; returns stdout. */
export function runFromShell(
  script: string,
  args: (dir: string) => string[] = () => [],
  python = PYTHON,
): { stdout: string; stderr: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'einsketch-export-'));
  try {
    const path = join(dir, 'exported.py');
    writeFileSync(path, script);
    const run = spawnSync(python, [path, ...args(dir)], {
      encoding: 'utf8',
      timeout: 120_000,
      cwd: dir,
    });
    return { stdout: run.stdout, stderr: run.stderr, status: run.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
