import { LanguageCatalog, LanguageCatalogError } from './language-catalog';

describe('language catalog', () => {
  const python = () => structuredClone(LanguageCatalog.load().get('python')!);

  it('has at least the seven languages of issue 4, each with a self-test and a version command', () => {
    const catalog = LanguageCatalog.load();
    expect(catalog.ids().sort()).toEqual(expect.arrayContaining(['c', 'cpp', 'go', 'java', 'javascript', 'python', 'rust']));
    for (const language of catalog.list()) {
      expect(language.selfTest.source).not.toBe('');
      expect(language.versionCommand.length).toBeGreaterThan(0);
    }
  });

  it('refuses an entry without a self-test or a version command, saying which', () => {
    const { selfTest: _s, ...withoutSelfTest } = python();
    const { versionCommand: _v, ...withoutVersionCommand } = python();
    expect(() => new LanguageCatalog([withoutSelfTest])).toThrow(LanguageCatalogError);
    expect(() => new LanguageCatalog([withoutSelfTest])).toThrow(/\/0 must have required property 'selfTest'/);
    expect(() => new LanguageCatalog([withoutVersionCommand])).toThrow(/\/0 must have required property 'versionCommand'/);
    expect(() => new LanguageCatalog([{ ...python(), selfTest: { source: 'print(1)', input: '' } }])).toThrow(
      /\/0\/selfTest must have required property 'expectedOutput'[\s\S]*\/0\/selfTest\/input must NOT have fewer than 1 characters/,
    );
  });
});
