export const console = "test";
