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

/** What ran the benchmark: cores, CPU model and Node, as the docs page prints it. */
function benchMachine() {
  const cpus = os.cpus();
  const model = cpus[0] ? cpus[0].model : 'unknown CPU';
  return `${cpus.length} cores (${model}), Node ${process.version}`;
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
    // How busy the machine was (1-minute load average as the figures are written): on a shared
    // machine this says more about a figure's noise than the figure itself.
    loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
    ...figures,
  };
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

module.exports = { benchResultsDir, benchMachine, writeBenchResult };
