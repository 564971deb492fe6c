// Schema fixtures are imported as text (Vite's ?raw), the way a schema arrives from the API.
declare module "*.yml?raw" {
  const text: string;
  export default text;
}
