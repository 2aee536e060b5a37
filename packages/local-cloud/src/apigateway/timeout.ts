import { IntegrationTimeoutError } from './errors.js';

/** Rejects with IntegrationTimeoutError when the promise takes longer than `ms` (real time, like AWS's 29 s limit). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new IntegrationTimeoutError(`timed out after ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
