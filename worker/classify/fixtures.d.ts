// Schema fixtures and their sample logs are imported as text (Vite's ?raw), the way a schema
// and a batch arrive from the API.
declare module "*.yml?raw" {
  const text: string;
  export default text;
}

declare module "*.jsonl?raw" {
  const text: string;
  export default text;
}
