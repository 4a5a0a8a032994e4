/*
 * The rule a Resource's name follows, in words: a Kubernetes name that is also a DNS label (the
 * backend accepts dots too; a label is what every Promise's workflow can use as a host or label value).
 */

/**
 * The rule, as the form states it.
 *
 * @public
 */
export const RESOURCE_NAME_RULE =
  "Use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What is wrong with a name's form, in words (the rule, and where the name breaks it); undefined if nothing. */
export function nameFormatProblem(name: string): string | undefined {
  if (name === '' || (name.length <= 63 && LABEL.test(name))) return undefined;
  const offending = [...new Set(name.replace(/[-a-z0-9]/g, ''))];
  let what: string;
  if (name.length > 63) what = `it has ${name.length} characters`;
  else if (offending.length) {
    what = `it has ${offending.map(c => `"${c}"`).join(', ')}`;
  } else what = `it ${/^[a-z0-9]/.test(name) ? 'ends' : 'starts'} with '-'`;
  return `${RESOURCE_NAME_RULE} (${what}).`;
}
