/**
 * A value built on its first use and kept. The config's zod schemas are built this way: building every
 * section and every channel type's schema at load cost `validate` and `check` more than validating
 * (issue 12, start-up), and most configs use a few of them.
 */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
