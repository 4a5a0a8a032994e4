/**
 * Test and benchmark helpers for the sandbox: load-test data written straight into its store.
 *
 * @packageDocumentation
 */
export {
  scalePromise,
  installScalePromises,
  addScaleResources,
  type ScaleRange,
} from './scale';
