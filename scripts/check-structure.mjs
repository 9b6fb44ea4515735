#!/usr/bin/env node
// `npm run check:structure` (after dpdm's check for cycles between files, `npm run
// check:cycles`), part of `npm test`: the shape of the source tree that a newcomer relies
// on when finding their way around.
//
// 1. No cycle between feature folders. Within each of src/ui, src/core and src/engine the
//    first-level folders (src/ui/run, src/ui/bench, src/core/diff, …) are features; an
//    import from one feature into another makes the first depend on the second, and two
//    features that depend on each other (directly or around a ring) are one feature in
//    disguise. Files directly in src/ui, src/core or src/engine are the layer's shared base
//    (the app shell, network.ts, backend.ts) and take no part: a base file that imports a
//    feature is allowed, so is a feature that imports the base.
// 2. No file in src longer than MAX_LINES lines: a longer one does more than one job.
//
// Imports are read with TypeScript's own pre-processor (static, re-exports, dynamic), plus
// `new URL('./worker.ts', import.meta.url)`, which is how a module starts its worker.
//
//   node scripts/check-structure.mjs        exit status 1 and the offending imports/files

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const MAX_LINES = 500;
const LAYERS = ['ui', 'core', 'engine'];

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(repo, 'src');

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

function importsOf(file, text) {
  const specs = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  for (const m of text.matchAll(/new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g))
    specs.push(m[1]);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s.replace(/\?.*$/, '')));
}

/** 'ui/run' for src/ui/run/…; null for the layer's base files and for anything else. */
function featureOf(path) {
  const parts = relative(src, path).split(sep);
  if (parts.length < 3 || !LAYERS.includes(parts[0])) return null;
  return `${parts[0]}/${parts[1]}`;
}

/** Tarjan's strongly connected components of a graph given as Map<node, Set<node>>. */
function components(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      found.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const problems = [];
const graph = new Map();
// One example import per folder edge, to say where a cycle comes from.
const witness = new Map();

for (const file of sourceFiles(src)) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_LINES)
    problems.push(
      `${relative(repo, file)} has ${lines} lines (at most ${MAX_LINES}): split it along its seams`,
    );
  const from = featureOf(file);
  if (!from) continue;
  if (!graph.has(from)) graph.set(from, new Set());
  for (const target of importsOf(file, text)) {
    const to = featureOf(target);
    if (!to || to === from) continue;
    graph.get(from).add(to);
    const key = `${from} -> ${to}`;
    if (!witness.has(key))
      witness.set(key, `${relative(repo, file)} imports ${relative(repo, target)}`);
  }
}

for (const component of components(graph)) {
  if (component.length < 2) continue;
  const members = new Set(component);
  const edges = [...witness.entries()]
    .filter(([key]) => {
      const [a, b] = key.split(' -> ');
      return members.has(a) && members.has(b);
    })
    .map(([key, example]) => `    ${key}: ${example}`);
  problems.push(
    `feature folders that depend on each other: ${component.sort().join(', ')}\n${edges.join('\n')}`,
  );
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(
  `structure ok: no cycle between the ${graph.size} feature folders of src/{${LAYERS.join(',')}}, no file over ${MAX_LINES} lines`,
);
