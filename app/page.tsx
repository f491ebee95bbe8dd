import { WorkbenchLoader } from "@/components/WorkbenchLoader";

export default function Home() {
  return <WorkbenchLoader />;
}
