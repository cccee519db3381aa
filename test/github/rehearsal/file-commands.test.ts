import {
  annotationsIn,
  checkEnvName,
  FileCommandError,
  parseKeyValueFile,
  parsePathFile,
} from './file-commands';

// The examples of "Workflow commands for GitHub Actions"
// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands).

describe('GITHUB_OUTPUT and GITHUB_ENV files', () => {
  it('read name=value lines, the value kept whole after the first =', () => {
    expect(parseKeyValueFile('action_state=yellow\nurl=https://x/?a=b\n', 'GITHUB_ENV')).toEqual(
      new Map([
        ['action_state', 'yellow'],
        ['url', 'https://x/?a=b'],
      ]),
    );
  });

  it('read the multiline form up to its delimiter', () => {
    const text = 'JSON_RESPONSE<<EOF\n{\n  "a": 1\n}\nEOF\nnext=1\n';
    expect(parseKeyValueFile(text, 'GITHUB_OUTPUT')).toEqual(
      new Map([
        ['JSON_RESPONSE', '{\n  "a": 1\n}'],
        ['next', '1'],
      ]),
    );
  });

  it('take = before << as a plain value', () => {
    expect(parseKeyValueFile('a=b<<c\n', 'GITHUB_OUTPUT').get('a')).toBe('b<<c');
  });

  it('fail the step on a delimiter never closed, an empty name, or a line of neither form', () => {
    expect(() => parseKeyValueFile('a<<EOF\nvalue\n', 'GITHUB_OUTPUT')).toThrow(
      /matching delimiter not found 'EOF'/,
    );
    expect(() => parseKeyValueFile('=value\n', 'GITHUB_OUTPUT')).toThrow(FileCommandError);
    expect(() => parseKeyValueFile('just text\n', 'GITHUB_OUTPUT')).toThrow(
      /Invalid format 'just text'/,
    );
  });

  it('refuse NODE_OPTIONS and ignore the default variables in GITHUB_ENV', () => {
    expect(() => checkEnvName('NODE_OPTIONS')).toThrow(/NODE_OPTIONS/);
    expect(checkEnvName('GITHUB_SHA')).toBe('ignored');
    expect(checkEnvName('STAGE')).toBe('set');
  });
});

describe('GITHUB_PATH', () => {
  it('takes one folder a line', () => {
    expect(parsePathFile('/a/bin\n\n/b/bin\n')).toEqual(['/a/bin', '/b/bin']);
  });
});

describe('workflow command lines', () => {
  it('become annotations with their properties', () => {
    expect(
      annotationsIn(
        'plain\n::error file=app.js,line=1::Missing semicolon\n::warning::Careful\n::debug::x\n',
      ),
    ).toEqual([
      { level: 'error', message: 'Missing semicolon', properties: { file: 'app.js', line: '1' } },
      { level: 'warning', message: 'Careful', properties: {} },
    ]);
  });
});
