import { ApiProperty } from '@nestjs/swagger';

/** Where a language's version was read: the runtime image a worker checked. */
export class LanguageVersionCheck {
  @ApiProperty({ example: 'sha256:5b0d1c6f2e8a4b7c9d3e1f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c' }) imageId!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-03T09:58:12.000Z' }) checkedAt!: string;
  @ApiProperty({ example: 'judge-7' }) workerId!: string;
}

/** One language of GET /v1/languages. */
export class LanguageView {
  @ApiProperty({ example: 'python' }) id!: string;
  @ApiProperty({ example: 'Python 3' }) name!: string;
  @ApiProperty({ example: '3.11.2' }) version!: string;
  @ApiProperty({ enum: ['image', 'catalog'], description: "image: read by a worker from the runtime image; catalog: the catalog's own.", example: 'image' })
  versionSource!: 'image' | 'catalog';
  @ApiProperty({ type: LanguageVersionCheck, nullable: true, description: 'Null when the version is the catalog\'s.' })
  versionCheck!: LanguageVersionCheck | null;
  @ApiProperty({ example: 'main.py' }) sourceFile!: string;
  @ApiProperty({ type: [String], nullable: true, description: 'The compile step as argv; null when the language has none.', example: ['python3', '-m', 'py_compile', 'main.py'] })
  compileCommand!: string[] | null;
  @ApiProperty({ type: [String], description: 'The run step as argv.', example: ['python3', 'main.py'] }) runCommand!: string[];
}
