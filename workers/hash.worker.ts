// Hashes dataset files off the main thread (and off the engine worker, so loading and
// hashing run side by side).
import * as Comlink from "comlink";
import { type HashWorkerApi, sha256OfBlob } from "../lib/provenance/file-hash";

const api: HashWorkerApi = { sha256: (file, onProgress) => sha256OfBlob(file, onProgress) };
Comlink.expose(api);
