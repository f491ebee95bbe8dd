import type { Measurement } from "@/lib/audit/checks/types";
import { VerdictBadge } from "./VerdictBadge";

const show = (x: number | null) => (x === null ? "undefined" : Number(x.toPrecision(4)).toString());

/** Each thresholded value beside its threshold. */
export function MeasurementList({ measurements }: { measurements: Measurement[] }) {
  return (
    <ul className="measurements" data-testid="measurements">
      {measurements.map((m) => (
        <li key={m.id} data-testid="measurement" data-id={m.id} data-value={m.value ?? ""} data-verdict={m.verdict}>
          <VerdictBadge verdict={m.verdict} />
          <span className="m-label">{m.label}</span>
          <span className="m-value" data-testid="measurement-value">
            {show(m.value)}
          </span>
          <span className="m-threshold">
            {m.comparator} {show(m.threshold)}
          </span>
          {m.detail && <span className="m-detail">{m.detail}</span>}
        </li>
      ))}
    </ul>
  );
}
