import type { IconName } from "../lib/components/icons";

export interface NavItem {
  label: string;
  path: string;
  icon: IconName;
}

/** The sidebar: monitoring first, then configuration. */
export const NAV: { heading: string; items: NavItem[] }[] = [
  {
    heading: "Monitor",
    items: [
      { label: "Overview", path: "/overview", icon: "overview" },
      { label: "System Errors", path: "/system-errors", icon: "system-errors" },
      { label: "Alerts", path: "/alerts", icon: "alerts" },
    ],
  },
  {
    heading: "Configure",
    items: [
      { label: "Log Sources", path: "/sources", icon: "sources" },
      { label: "Schemas", path: "/schemas", icon: "schemas" },
      { label: "Destinations", path: "/destinations", icon: "destinations" },
      { label: "Settings", path: "/settings", icon: "settings" },
    ],
  },
];
