// The frontend image's entry: `node --build-snapshot` runs this file at image
// build time (Dockerfile) and the image's ENTRYPOINT starts node from the
// snapshot it wrote. See startup.ts.

import { frontendMain, rehearseFrontend } from "./frontend-main.js";
import { startFrontend } from "./startup.js";

startFrontend(() => void frontendMain(), rehearseFrontend);
