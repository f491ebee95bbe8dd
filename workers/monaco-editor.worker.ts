// Monaco's editor worker (diffing, word ranges), bundled from node_modules and served locally.
import "monaco-editor/editor/editor.worker";
