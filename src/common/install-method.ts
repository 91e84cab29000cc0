/**
 * Installs a resolver method on a class's prototype under a property's name, for decorators that
 * declare a field on a property (the property itself holds nothing), with the parameter types the
 * compiler would have emitted for a method (`@Root` and `@Arg` read them). Returns its descriptor,
 * as a method decorator takes it.
 */
export function installMethod(prototype: object, name: string | symbol, method: (...values: never[]) => unknown, paramTypes: unknown[]): PropertyDescriptor {
  const descriptor = { value: method, writable: true, configurable: true, enumerable: false };
  Object.defineProperty(prototype, name, descriptor);
  Reflect.defineMetadata("design:paramtypes", paramTypes, prototype, name);
  return descriptor;
}
