import { Alert } from './Alert.js';
import { Product } from './Product.js';
import { ProductInsights } from './ProductInsights.js';
import { Query } from './Query.js';

export const resolvers = { Query, Product, ProductInsights, Alert };
