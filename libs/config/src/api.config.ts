import { IsInt, IsNotEmpty, IsString, Max, Min } from 'class-validator';

export class ApiConfig {
  @IsString() @IsNotEmpty()
  API_HOST: string = '127.0.0.1';

  @IsInt() @Min(0) @Max(65535)
  API_PORT: number = 3000;

  /** Largest accepted request body; inline tests make bodies large. */
  @IsInt() @Min(1024)
  API_BODY_LIMIT_BYTES: number = 32 * 1024 * 1024;
}
