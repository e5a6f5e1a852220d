// Rust types for the messages of stream `orders`, schema version 3,
// generated from its schema definition. Regenerate rather than edit.

use serde::{Deserialize, Serialize};
use streamsea::{Date, StreamSchema};

/// A message of stream `orders`, schema version 3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
#[stream_schema(name = "orders", version = 3)]
pub struct Orders {
    /// `orderId`: `string`.
    #[serde(rename = "orderId", skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// `placedAt`: `date`.
    #[serde(rename = "placedAt", skip_serializing_if = "Option::is_none")]
    pub placed_at: Option<Date>,
    /// `status`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// `customer`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// `items`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    /// `shippingAddress`: `object`.
    #[serde(rename = "shippingAddress", skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<ShippingAddress>,
    /// `addresses`: `array<object>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<Address>>,
    /// `totals`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totals: Option<Totals>,
}

/// The values of the enum in field `status` of stream `orders`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum Status {
    /// `pending`.
    #[serde(rename = "pending")]
    Pending,
    /// `paid`.
    #[serde(rename = "paid")]
    Paid,
    /// `shipped`.
    #[serde(rename = "shipped")]
    Shipped,
    /// `delivered`.
    #[serde(rename = "delivered")]
    Delivered,
    /// `refunded`.
    #[serde(rename = "refunded")]
    Refunded,
}

/// The object in field `customer` of stream `orders`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Customer {
    /// `id`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `email`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `address`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<CustomerAddress>,
}

/// An element of the array in field `items` of stream `orders`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Item {
    /// `sku`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// `quantity`: `integer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// `unitPrice`: `float`.
    #[serde(rename = "unitPrice", skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<f64>,
    /// `product`: `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
}

/// The object in field `shippingAddress` of stream `orders`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct ShippingAddress {
    /// `street`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// `city`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// `country`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// An element of the array in field `addresses` of stream `orders`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Address {
    /// `street`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
}

/// The object in field `totals` of stream `orders`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Totals {
    /// `net`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net: Option<f64>,
    /// `tax`: `float`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax: Option<f64>,
    /// `currency`: `enum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
}

/// The object in field `customer.address` of stream `orders`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct CustomerAddress {
    /// `street`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// `city`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// `country`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// The object in field `items.product` of stream `orders`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, StreamSchema)]
pub struct Product {
    /// `name`: `string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `categories`: `array<string>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
}

/// The values of the enum in field `totals.currency` of stream `orders`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, StreamSchema)]
pub enum Currency {
    /// `EUR`.
    #[serde(rename = "EUR")]
    Eur,
    /// `USD`.
    #[serde(rename = "USD")]
    Usd,
    /// `GBP`.
    #[serde(rename = "GBP")]
    Gbp,
}
