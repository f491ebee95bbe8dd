"use client";

import { useEffect, useRef, useState } from "react";

type Monaco = typeof import("monaco-editor/editor/editor.api");
type Editor = import("monaco-editor/editor/editor.api").editor.IStandaloneCodeEditor;

let monacoPromise: Promise<Monaco> | null = null;
/** Monaco is loaded once, after first paint, so the page never waits for it. */
function loadMonaco(): Promise<Monaco> {
  monacoPromise ??= import("./monaco-setup").then((m) => m.monaco);
  return monacoPromise;
}

export interface CodeEditorProps {
  value: string;
  language: "sql" | "markdown" | "typescript";
  focused: boolean;
  onChange(value: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun(): void;
  /** Shift+Enter. */
  onRunAndAdvance(): void;
}

const LINE_HEIGHT = 19;
const MAX_HEIGHT = 640;

/**
 * Monaco when it has loaded; until then (and if it fails) a plain textarea with the same
 * keys, so a cell can be edited and run from the first paint.
 */
export function CodeEditor(props: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Editor | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    loadMonaco()
      .then(async (monaco) => {
        // TypeScript support is large: it loads only once a TypeScript cell is shown.
        if (latest.current.language === "typescript")
          await import("./ts-language").then((m) => m.enableTypeScript(monaco));
        if (disposed || !host.current) return;
        const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
        const instance = monaco.editor.create(host.current, {
          value: latest.current.value,
          language: latest.current.language,
          theme: dark ? "assay-dark" : "vs",
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          lineNumbers: "on",
          lineNumbersMinChars: 3,
          fontSize: 13,
          lineHeight: LINE_HEIGHT,
          automaticLayout: true,
          wordWrap: latest.current.language === "markdown" ? "on" : "off",
          scrollbar: { alwaysConsumeMouseWheel: false },
          renderLineHighlight: "none",
          overviewRulerLanes: 0,
          padding: { top: 6, bottom: 6 },
          fixedOverflowWidgets: true,
        });
        instance.addAction({
          id: "assay.run",
          label: "Run cell",
          keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
          run: () => latest.current.onRun(),
        });
        instance.addAction({
          id: "assay.runAndAdvance",
          label: "Run cell and move to the next",
          keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter],
          run: () => latest.current.onRunAndAdvance(),
        });
        instance.onDidChangeModelContent(() => latest.current.onChange(instance.getValue()));
        const fitHeight = () => {
          if (!host.current) return;
          host.current.style.height = `${Math.min(MAX_HEIGHT, Math.max(LINE_HEIGHT * 2 + 12, instance.getContentHeight()))}px`;
        };
        instance.onDidContentSizeChange(fitHeight);
        fitHeight();
        editor.current = instance;
        setReady(true);
      })
      .catch((error: unknown) => console.warn("Editor unavailable, using plain text:", error));
    return () => {
      disposed = true;
      editor.current?.dispose();
      editor.current = null;
    };
  }, []);

  // External changes (e.g. a loaded notebook) flow in without resetting the cursor on typing.
  useEffect(() => {
    const instance = editor.current;
    if (instance && instance.getValue() !== props.value) instance.setValue(props.value);
  }, [props.value]);

  // Focus once the editor is visible (Monaco cannot take focus while hidden), but never
  // from a form field the person is typing in (e.g. the new cell's name).
  useEffect(() => {
    if (!ready || !props.focused) return;
    const active = document.activeElement;
    const typingElsewhere =
      active instanceof HTMLElement && active.matches("input, select, textarea") && !active.closest(".monaco-editor");
    if (!typingElsewhere) editor.current?.focus();
  }, [props.focused, ready]);

  return (
    <div className="editor-host" data-testid="editor" data-editor-ready={ready ? "true" : "false"}>
      <div ref={host} style={ready ? undefined : { display: "none" }} />
      {!ready && (
        <textarea
          className="editor-fallback"
          spellCheck={false}
          value={props.value}
          rows={Math.min(20, Math.max(2, props.value.split("\n").length))}
          aria-label="Cell source"
          autoFocus={props.focused}
          onChange={(e) => props.onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== "Enter") return;
            if (e.shiftKey) {
              e.preventDefault();
              props.onRunAndAdvance();
            } else if (e.ctrlKey || e.metaKey) {
              e.preventDefault();
              props.onRun();
            }
          }}
        />
      )}
    </div>
  );
}
