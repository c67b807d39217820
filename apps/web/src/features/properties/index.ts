/** The properties feature's door: the hotel's properties, for every screen that picks or shows one. */
export { useCreateProperty, useProperties, useUpdateProperty, type Property, type PropertyInput } from './api.ts';
export { PropertiesCard } from './PropertiesCard.tsx';
export { PROPERTY_CODE_PATTERN, PropertyFormModal } from './PropertyFormModal.tsx';
