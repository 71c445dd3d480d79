// The frontend image name the examples and `speck init` put on their
// `# syntax=` line. README.md shows how to build it and how to push it under
// another name; the build reads nothing from it at run time.
export const FRONTEND_IMAGE = "local/speck";
