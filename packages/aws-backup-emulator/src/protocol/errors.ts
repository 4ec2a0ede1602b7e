/** An error the emulator answers the way AWS does: status, error type and message. */
export class AwsError extends Error {
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = type;
    this.status = status;
  }
}

export const invalidParameter = (message: string) =>
  new AwsError('InvalidParameterValueException', message);

export const notFound = (message: string) =>
  new AwsError('ResourceNotFoundException', message);

export const accessDenied = (message: string) =>
  new AwsError('AccessDeniedException', message, 403);
