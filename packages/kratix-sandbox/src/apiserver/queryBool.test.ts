import { parseGoBool, queryBool, wantsPretty } from './queryBool';

const q = (query: string) => new URLSearchParams(query);

describe('queryBool: query booleans as the API server decodes them', () => {
  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])(
    'reads every strconv.ParseBool truth, %s, as true',
    value => {
      expect(queryBool(q(`watch=${value}`), 'watch')).toBe(true);
    },
  );

  it.each(['0', 'false', 'FALSE', 'False', 'fAlSe'])(
    'reads %s as false (only 0 and false in any case are)',
    value => {
      expect(queryBool(q(`watch=${value}`), 'watch')).toBe(false);
    },
  );

  it('reads an absent parameter as false, and anything else given as true, like Convert_Slice_string_To_bool', () => {
    expect(queryBool(q(''), 'watch')).toBe(false);
    expect(queryBool(q('watch'), 'watch')).toBe(true); // `?watch` with no value
    expect(queryBool(q('watch=yes'), 'watch')).toBe(true);
    expect(queryBool(q('watch=f'), 'watch')).toBe(true);
    // The first value decides.
    expect(queryBool(q('watch=false&watch=true'), 'watch')).toBe(false);
  });
});

describe('parseGoBool: strconv.ParseBool', () => {
  it('knows its six truths and six falsehoods and nothing else', () => {
    for (const value of ['1', 't', 'T', 'TRUE', 'true', 'True'])
      expect(parseGoBool(value)).toBe(true);
    for (const value of ['0', 'f', 'F', 'FALSE', 'false', 'False'])
      expect(parseGoBool(value)).toBe(false);
    for (const value of ['', 'yes', 'tRUE', '2', ' true'])
      expect(parseGoBool(value)).toBeUndefined();
  });

  it('decides ?pretty, where a value that is not a boolean is false', () => {
    expect(wantsPretty(q('pretty=True'))).toBe(true);
    expect(wantsPretty(q('pretty=1'))).toBe(true);
    expect(wantsPretty(q('pretty=yes'))).toBe(false);
    expect(wantsPretty(q('pretty='))).toBe(false);
    expect(wantsPretty(q(''))).toBe(false);
  });
});
