/*
 * Prints the top self-time functions of a .cpuprofile, e.g. one written by
 *   node --cpu-prof --cpu-prof-dir=.cache/bench --require @backstage/cli/config/nodeTransform.cjs bench/<file>.ts
 * Usage: node --require @backstage/cli/config/nodeTransform.cjs bench/cpuProfileTop.ts <file> [count]
 */
import { formatSelfTime, topSelfTime } from './load';

const [file, count] = process.argv.slice(2);
if (!file) {
  console.error('usage: cpuProfileTop.ts <file.cpuprofile> [count]');
  process.exit(2);
}
console.log(formatSelfTime(topSelfTime(file, Number(count ?? 15))));
