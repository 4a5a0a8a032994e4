import { SseParser } from './sse';

describe('SseParser', () => {
  it('parses data frames split anywhere across chunks', () => {
    const parser = new SseParser();
    const text =
      ': keep-alive\n\ndata: {"items":[1]}\n\nevent: resources\ndata: {"a":\ndata: 2}\r\n\r\n';
    const messages = [];
    for (const char of text) messages.push(...parser.push(char));
    expect(messages).toEqual([
      { event: 'message', data: '{"items":[1]}', id: undefined },
      { event: 'resources', data: '{"a":\n2}', id: undefined },
    ]);
  });

  it('keeps ids and ignores unknown fields', () => {
    const parser = new SseParser();
    expect(parser.push('id: 7\nretry: 1000\ndata:x\n\n')).toEqual([
      { event: 'message', data: 'x', id: '7' },
    ]);
  });
});
