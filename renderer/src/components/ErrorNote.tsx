import type { LanyardError } from '../../../shared/result.ts';
import { useErrorText } from '../i18n.ts';

/** The stable code, small, for support to look up; the core's English message is its tooltip. */
export function ErrorCode({ error }: { error: LanyardError }) {
  return (
    <small className="error-code" data-testid="error-code" title={error.message}>
      {error.code}
    </small>
  );
}

/**
 * A refused call as staff read it: the sentence in the screen's language (or a form's own `text` for it),
 * then the code. `testId` marks the sentence alone, so a test reads exactly what staff read.
 */
export function ErrorNote({
  error,
  testId,
  text,
}: {
  error: LanyardError;
  testId?: string;
  text?: string | undefined;
}) {
  const errorText = useErrorText();
  return (
    <p className="bad" role="alert" data-code={error.code}>
      <span data-testid={testId}>{text ?? errorText(error)}</span> <ErrorCode error={error} />
    </p>
  );
}
