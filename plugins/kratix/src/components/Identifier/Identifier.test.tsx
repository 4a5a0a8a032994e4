import { render } from '@testing-library/react';
import { Identifier } from './Identifier';

describe('Identifier', () => {
  it('may break only where the words of a CamelCase identifier join', () => {
    const { container } = render(
      <Identifier text="PipelineExecutedSuccessfully" />,
    );
    expect(container.innerHTML).toBe('Pipeline<wbr>Executed<wbr>Successfully');
    expect(container.textContent).toBe('PipelineExecutedSuccessfully');
  });

  it('leaves a one-word or absent identifier whole', () => {
    expect(render(<Identifier text="True" />).container.innerHTML).toBe('True');
    expect(render(<Identifier text={undefined} />).container.innerHTML).toBe(
      '',
    );
  });
});
