// Property tests draw from a fixed seed so CI is repeatable; set FC_SEED=random (or a number)
// to explore other inputs locally.
import fc from "fast-check";

const seed = process.env.FC_SEED;
if (seed !== "random") fc.configureGlobal({ seed: seed ? Number(seed) : 20261127 });
