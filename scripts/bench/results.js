/*
 * Where `yarn bench` keeps its figures: one JSON file per benchmark under .cache/bench/ (ignored by
 * git, so a bench run leaves the tree clean), stamped with the date and the machine it ran on.
 * Every benchmark writes through here; report.js reads the files back to write the figures of
 * docs/benchmarks.md.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const benchResultsDir = path.resolve(__dirname, '../../.cache/bench');

/** What ran the benchmark: cores, CPU model, memory and Node, as the docs page prints it. */
function benchMachine() {
  const cpus = os.cpus();
  const memory = Math.round(os.totalmem() / 1024 ** 3);
  const model = cpus[0] ? cpus[0].model : 'unknown CPU';
  return `${cpus.length} cores (${model}), ${memory} GB, Node ${process.version}`;
}

/**
 * Writes .cache/bench/<name>.json: the date, the machine, then the figures; returns its path.
 * @param {string} name
 * @param {object} figures
 */
function writeBenchResult(name, figures) {
  fs.mkdirSync(benchResultsDir, { recursive: true });
  const file = path.join(benchResultsDir, `${name}.json`);
  const result = {
    date: new Date().toISOString(),
    machine: benchMachine(),
    ...figures,
  };
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

module.exports = { benchResultsDir, benchMachine, writeBenchResult };
