import { Fragment } from 'react';

/** A token this long gets wrap points between its words (`Reconcile|Succeeded`). */
const COMPOUND_TOKEN = 16;
/** A run this long with no wrap point is broken anywhere, as a last resort, when it does not fit. */
const LONG_TOKEN = 24;

/** Some token (a run without white space) as long as COMPOUND_TOKEN. */
const LONG_RUN = new RegExp(`\\S{${COMPOUND_TOKEN}}`);

/** Where a long token may wrap: between the words of a CamelCase reason, after `.`, `/`, `_`, `:`. */
const SOFT_BREAK = /(?<=[a-z0-9])(?=[A-Z])|(?<=[./_:])(?=.)/;

/**
 * Text that wraps at word boundaries: spaces, and inside long tokens between the words of a
 * CamelCase reason (`WorkloadsWrittenTo|TargetDestination`) and after the dots and slashes of
 * names (hyphens wrap anyway). Only a token that has no such boundary and is still long may break
 * anywhere, so a narrow column never breaks an ordinary word in the middle.
 */
export function BreakableText(props: { text: string }) {
  // Most text has no long token: one text node, not one per word (a 500-entry history renders
  // this for every row it shows).
  if (!LONG_RUN.test(props.text)) return <>{props.text}</>;
  const tokens = props.text.split(/(\s+)/);
  return (
    <>
      {tokens.map((token, i) => {
        if (token.length < COMPOUND_TOKEN || /^\s+$/.test(token)) {
          return <Fragment key={i}>{token}</Fragment>;
        }
        const parts = token.split(SOFT_BREAK);
        // Hyphens wrap by themselves: only a run without any boundary counts as long.
        const stillLong = parts.some(part =>
          part.split('-').some(run => run.length >= LONG_TOKEN),
        );
        return (
          <span
            key={i}
            style={stillLong ? { overflowWrap: 'anywhere' } : undefined}
          >
            {parts.map((part, j) => (
              <Fragment key={j}>
                {j > 0 && <wbr />}
                {part}
              </Fragment>
            ))}
          </span>
        );
      })}
    </>
  );
}
