import { Fragment } from 'react';

/**
 * A CamelCase identifier (`PipelineExecutedSuccessfully`, `ConfigureWorkflowCompleted`) that may
 * break only where its words join, so a narrow column wraps it readably instead of cutting it
 * mid-word or widening the table.
 */
export function Identifier(props: { text: string | undefined }) {
  const parts = (props.text ?? '').split(/(?<=[a-z0-9])(?=[A-Z])/);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
}
