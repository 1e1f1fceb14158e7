// Compiles every Solidity source under contracts/src and contracts/test with the pinned solc
// (standard JSON, optimizer on, evmVersion prague, no metadata hash) and writes, per contract,
// <Name>.abi and <Name>.bin into the output folder, plus the full solc output as solc-output.json.
// Exits non-zero with solc's own formatted message (file:line) when anything fails to compile.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outDir = path.resolve(process.argv[2] || path.join(root, 'target', 'solc'));

let solc;
try {
  solc = require(path.join(root, 'node_modules', 'solc'));
} catch (e) {
  console.error('solc is not installed in contracts/node_modules: run ./cortado setup (or npm install in contracts/)');
  process.exit(2);
}

function collect(dir) {
  if (!fs.existsSync(dir)) return [];
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...collect(full));
    else if (entry.name.endsWith('.sol')) found.push(full);
  }
  return found.sort();
}

// Further arguments name other source folders (the build test uses this for broken sources).
const sourceDirs = process.argv.length > 3 ? process.argv.slice(3).map((d) => path.resolve(d))
  : [path.join(root, 'src'), path.join(root, 'test')];
const files = sourceDirs.flatMap(collect);
if (files.length === 0) {
  console.error('no Solidity sources under ' + sourceDirs.join(', '));
  process.exit(2);
}

const sources = {};
for (const f of files) {
  const rel = path.relative(root, f);
  const name = rel.startsWith('..') ? f : rel;
  sources[name.split(path.sep).join('/')] = { content: fs.readFileSync(f, 'utf8') };
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 20000 },
    viaIR: false,
    evmVersion: 'prague',
    metadata: { bytecodeHash: 'none', appendCBOR: false },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

// Imports resolve against the project first, then the pinned packages in node_modules.
function findImports(importPath) {
  for (const base of [root, path.join(root, 'node_modules')]) {
    const candidate = path.join(base, importPath);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, 'utf8') };
  }
  return { error: 'file not found: ' + importPath };
}

const started = Date.now();
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const w of (output.errors || []).filter((e) => e.severity !== 'error')) {
  if (!w.sourceLocation || !w.sourceLocation.file.startsWith('node_modules')) {
    console.warn(w.formattedMessage.trim());
  }
}
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage.trim());
  console.error(`solc ${solc.version()}: ${errors.length} error(s); compilation failed`);
  process.exit(1);
}

fs.mkdirSync(outDir, { recursive: true });
let count = 0;
for (const [file, contracts] of Object.entries(output.contracts || {})) {
  if (file.startsWith('@')) continue; // library sources are compiled, not wrapped
  for (const [name, c] of Object.entries(contracts)) {
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(outDir, name + '.bin'), c.evm.bytecode.object);
    count++;
  }
}
fs.writeFileSync(path.join(outDir, 'solc-output.json'), JSON.stringify(output));
console.log(`solc ${solc.version()}: compiled ${files.length} file(s), ${count} contract(s) in ${Date.now() - started} ms`);
