import { Product } from './Product.js';
import { ProductInsights } from './ProductInsights.js';

export const resolvers = { Product, ProductInsights };
