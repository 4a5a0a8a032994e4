/*
 * Pipeline container images are not pulled: each image is matched to a local executable.
 *
 *   1. `<pipelinesDir>/images.yaml` (optional): a map from image reference to a path relative to
 *      pipelinesDir. Keys may be the full reference (`repo/name:tag`) or the reference without its
 *      tag/digest (`repo/name`, any tag).
 *   2. Otherwise by convention, the image's last path segment without tag/digest:
 *      `ghcr.io/syntasso/kratix-marketplace/redis-configure-pipeline:v0.1.0` →
 *      `<pipelinesDir>/redis-configure-pipeline` (a file) or `<pipelinesDir>/redis-configure-pipeline/run`.
 *   3. No match: the container is a no-op step (it writes nothing), like an image whose
 *      entrypoint only produces Works.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** `registry/repo/name:tag@sha256:…` → `registry/repo/name`. */
export function imageWithoutTag(image: string): string {
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
}

/** The conventional executable name for an image: its last path segment, no tag. */
export function imageBaseName(image: string): string {
  const repo = imageWithoutTag(image);
  return repo.slice(repo.lastIndexOf('/') + 1);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function readMapping(pipelinesDir: string): Record<string, string> {
  const file = path.join(pipelinesDir, 'images.yaml');
  if (!isFile(file)) return {};
  const parsed = parse(fs.readFileSync(file, 'utf8'));
  return parsed && typeof parsed === 'object'
    ? (parsed as Record<string, string>)
    : {};
}

/** Absolute path of the executable for `image`, or undefined when the image has none. */
export function resolveImage(
  pipelinesDir: string,
  image: string,
): string | undefined {
  const mapping = readMapping(pipelinesDir);
  const mapped = mapping[image] ?? mapping[imageWithoutTag(image)];
  if (typeof mapped === 'string') {
    const candidate = path.resolve(pipelinesDir, mapped);
    return isFile(candidate) ? candidate : undefined;
  }
  const base = imageBaseName(image);
  if (!base || base.startsWith('.')) return undefined;
  for (const candidate of [
    path.join(pipelinesDir, base),
    path.join(pipelinesDir, base, 'run'),
  ]) {
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}
