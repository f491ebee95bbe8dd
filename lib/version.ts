/** Assay's version, written into every export (a unit test keeps it equal to package.json's). */
export const APP_VERSION = "0.1.0";
export const APP_NAME = "assay";
