import { LanguageCatalog, LanguageCatalogError } from './language-catalog';
import { expandCommand, unknownPlaceholders } from './language-command';

describe('language commands', () => {
  it('fills in the run limits a command refers to', () => {
    const command = { command: ['java', '-Xmx{memoryMb}m', 'Main'], env: { NODE_OPTIONS: '--max-old-space-size={memoryMb}' } };
    expect(expandCommand(command, { memoryMb: 256 })).toEqual({
      command: ['java', '-Xmx256m', 'Main'],
      env: { NODE_OPTIONS: '--max-old-space-size=256' },
    });
  });

  it('finds placeholders it does not know', () => {
    expect(unknownPlaceholders({ command: ['x', '{memoryMb}', '{cpuMs}'], env: { A: '{home}' } })).toEqual(['cpuMs', 'home']);
  });

  it('makes the catalog refuse a command with an unknown placeholder', () => {
    const python = LanguageCatalog.load().get('python')!;
    const broken = { ...python, run: { command: ['python3', '-X', '{heap}', 'main.py'] } };
    expect(() => new LanguageCatalog([broken])).toThrow(LanguageCatalogError);
    expect(() => new LanguageCatalog([broken])).toThrow(/python: run command uses unknown placeholder \{heap\} \(known: \{memoryMb\}\)/);
  });
});
