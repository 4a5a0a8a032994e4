import { render } from '@testing-library/react';
import { BreakableText } from './BreakableText';

describe('BreakableText', () => {
  it('lets a CamelCase reason wrap between its words, not inside them', () => {
    const { container } = render(
      <BreakableText text="WorkloadsWrittenToTargetDestination — Ready: Ready" />,
    );
    expect(container).toHaveTextContent(
      'WorkloadsWrittenToTargetDestination — Ready: Ready',
    );
    const token = container.querySelector('span')!;
    expect(token.innerHTML).toBe(
      'Workloads<wbr>Written<wbr>To<wbr>Target<wbr>Destination',
    );
    // every part is an ordinary word: no breaking anywhere
    expect(token.style.overflowWrap).toBe('');
  });

  it('breaks only a long token with no boundary anywhere', () => {
    const { container } = render(
      <BreakableText text="Work redis-example-instance-configure-5d2f1.dev-cluster sha256:0123456789abcdef0123456789abcdef" />,
    );
    const [name, digest] = Array.from(container.querySelectorAll('span'));
    // hyphens and dots are boundaries enough
    expect(name.style.overflowWrap).toBe('');
    expect(name.innerHTML).toBe(
      'redis-example-instance-configure-5d2f1.<wbr>dev-cluster',
    );
    expect(digest.style.overflowWrap).toBe('anywhere');
    // short words are left alone
    expect(container.innerHTML.startsWith('Work ')).toBe(true);
  });

  it('leaves text with no long token as one text node', () => {
    const { container } = render(
      <BreakableText text="Reconciled — the workflow ran at 10:00" />,
    );
    expect(container.childNodes).toHaveLength(1);
    expect(container.firstChild?.nodeType).toBe(Node.TEXT_NODE);
    expect(container).toHaveTextContent(
      'Reconciled — the workflow ran at 10:00',
    );
  });
});
