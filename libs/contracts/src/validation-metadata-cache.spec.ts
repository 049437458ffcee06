import { IsInt, IsString, Min, ValidateNested, validateSync } from 'class-validator';
import { Type, plainToInstance } from 'class-transformer';
import { memoizeValidationMetadata } from './validation-metadata-cache';

class Base {
  @IsString()
  name!: string;
}

class Child extends Base {
  @IsInt() @Min(1)
  count!: number;
}

class Holder {
  @ValidateNested({ each: true }) @Type(() => Child)
  children!: Child[];
}

const failures = (value: object): string[] => validateSync(value).flatMap(function flatten(error): string[] {
  return [...Object.keys(error.constraints ?? {}).map((rule) => `${error.property}:${rule}`), ...(error.children ?? []).flatMap(flatten)];
});

describe('memoizeValidationMetadata', () => {
  beforeAll(() => memoizeValidationMetadata());

  it('keeps every rule: own, inherited and nested, on every call', () => {
    const bad = plainToInstance(Holder, { children: [{ name: 7, count: 0 }, { name: 'ok', count: 2 }] });
    for (let round = 0; round < 3; round++) {
      expect(failures(bad).sort()).toEqual(['count:min', 'name:isString']);
    }
    expect(failures(plainToInstance(Holder, { children: [{ name: 'a', count: 1 }] }))).toEqual([]);
  });

  it('sees the rules of a class decorated after it was installed, and of a subclass of a cached one', () => {
    memoizeValidationMetadata(); // a second call changes nothing
    class Late extends Child {
      @IsString()
      label!: string;
    }
    expect(failures(plainToInstance(Late, { name: 1, count: 1, label: 2 })).sort()).toEqual(['label:isString', 'name:isString']);
    // Base's rules were cached before Late registered its own: they stay what they were.
    expect(failures(plainToInstance(Base, { name: 'x', label: 2 }))).toEqual([]);
  });
});
