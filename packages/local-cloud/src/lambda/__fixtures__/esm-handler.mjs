// An ES module handler: loaded with import(), not require.
export const handler = async (event) => ({ esm: typeof require === 'undefined', echo: event.value });
