//! Naver Pay's codes for claims and shipping, as the spec lists them.

use super::enums::open_enum;

open_enum! {
    /// Why product orders are cancelled (`reason` of a cancel).
    pub enum NaverCancelReason {
        /// Sold out (`SOLD_OUT`).
        SoldOut = "SOLD_OUT",
        /// Delivery delayed (`DELAYED_DELIVERY`).
        DelayedDelivery = "DELAYED_DELIVERY",
        /// Unsatisfied with the product, PortOne's default (`PRODUCT_UNSATISFIED`).
        ProductUnsatisfied = "PRODUCT_UNSATISFIED",
        /// The buyer changed their mind (`INTENT_CHANGED`).
        IntentChanged = "INTENT_CHANGED",
        /// Wrong colour or size (`COLOR_AND_SIZE`).
        ColorAndSize = "COLOR_AND_SIZE",
        /// Wrong order (`WRONG_ORDER`).
        WrongOrder = "WRONG_ORDER",
        /// Incorrect product information (`INCORRECT_INFO`).
        IncorrectInfo = "INCORRECT_INFO",
    }
}

open_enum! {
    /// Why product orders are returned (`reason` of a return request).
    pub enum NaverReturnReason {
        /// The buyer changed their mind, PortOne's default (`INTENT_CHANGED`).
        IntentChanged = "INTENT_CHANGED",
        /// Wrong colour or size (`COLOR_AND_SIZE`).
        ColorAndSize = "COLOR_AND_SIZE",
        /// Wrong order (`WRONG_ORDER`).
        WrongOrder = "WRONG_ORDER",
        /// Unsatisfied with the product (`PRODUCT_UNSATISFIED`).
        ProductUnsatisfied = "PRODUCT_UNSATISFIED",
        /// Delivery delayed (`DELAYED_DELIVERY`).
        DelayedDelivery = "DELAYED_DELIVERY",
        /// Sold out (`SOLD_OUT`).
        SoldOut = "SOLD_OUT",
        /// Lost in delivery (`DROPPED_DELIVERY`).
        DroppedDelivery = "DROPPED_DELIVERY",
        /// Broken (`BROKEN`).
        Broken = "BROKEN",
        /// Incorrect product information (`INCORRECT_INFO`).
        IncorrectInfo = "INCORRECT_INFO",
        /// Delivered wrongly (`WRONG_DELIVERY`).
        WrongDelivery = "WRONG_DELIVERY",
        /// Wrong option (`WRONG_OPTION`).
        WrongOption = "WRONG_OPTION",
    }
}

open_enum! {
    /// Why a return is withheld (`reason` of a withhold).
    pub enum NaverWithholdReason {
        /// Charge the return shipping fee (`RETURN_DELIVERYFEE`).
        ReturnDeliveryFee = "RETURN_DELIVERYFEE",
        /// Charge other return costs (`EXTRAFEEE`, three e's as Naver spells it).
        ExtraFee = "EXTRAFEEE",
        /// Charge both (`RETURN_DELIVERYFEE_AND_EXTRAFEEE`).
        ReturnDeliveryFeeAndExtraFee = "RETURN_DELIVERYFEE_AND_EXTRAFEEE",
        /// The returned goods have not arrived (`RETURN_PRODUCT_NOT_DELIVERED`).
        ReturnProductNotDelivered = "RETURN_PRODUCT_NOT_DELIVERED",
        /// Another reason, PortOne's default (`ETC`).
        Etc = "ETC",
    }
}

open_enum! {
    /// How goods were sent (`delivery_method` of a shipment).
    pub enum NaverDeliveryMethod {
        /// Parcel, registered mail or package (`DELIVERY`).
        Delivery = "DELIVERY",
        /// Goodsflow waybill (`GDFW_ISSUE_SVC`).
        GoodsflowIssue = "GDFW_ISSUE_SVC",
        /// Picked up by the buyer (`VISIT_RECEIPT`).
        VisitReceipt = "VISIT_RECEIPT",
        /// Handed over directly (`DIRECT_DELIVERY`).
        DirectDelivery = "DIRECT_DELIVERY",
        /// Courier service (`QUICK_SVC`).
        Quick = "QUICK_SVC",
        /// No shipping (`NOTHING`).
        Nothing = "NOTHING",
    }
}

open_enum! {
    /// How returned goods come back (`delivery_method` of a return request).
    pub enum NaverReturnDeliveryMethod {
        /// The designated return carrier (`RETURN_DESIGNATED`).
        Designated = "RETURN_DESIGNATED",
        /// A carrier (`RETURN_DELIVERY`).
        Delivery = "RETURN_DELIVERY",
        /// Sent by the buyer themselves (`RETURN_INDIVIDUAL`).
        Individual = "RETURN_INDIVIDUAL",
    }
}

open_enum! {
    /// Carrier code (`delivery_company`).
    pub enum NaverDeliveryCompany {
        /// CJ Logistics (`CJGLS`).
        Cjgls = "CJGLS",
        /// Logen (`KGB`).
        Kgb = "KGB",
        /// KG Logis (`DONGBU`).
        Dongbu = "DONGBU",
        /// Korea Post parcel (`EPOST`).
        Epost = "EPOST",
        /// Registered mail (`REGISTPOST`).
        Registpost = "REGISTPOST",
        /// Hanjin (`HANJIN`).
        Hanjin = "HANJIN",
        /// Hyundai (Lotte) parcel (`HYUNDAI`).
        Hyundai = "HYUNDAI",
        /// KGB parcel (`KGBLS`).
        Kgbls = "KGBLS",
        /// GTX Logis (`INNOGIS`).
        Innogis = "INNOGIS",
        /// Daesin (`DAESIN`).
        Daesin = "DAESIN",
        /// Ilyang Logis (`ILYANG`).
        Ilyang = "ILYANG",
        /// Kyungdong (`KDEXP`).
        Kdexp = "KDEXP",
        /// Chunil (`CHUNIL`).
        Chunil = "CHUNIL",
        /// Another carrier (`CH1`).
        Ch1 = "CH1",
        /// Hapdong (`HDEXP`).
        Hdexp = "HDEXP",
        /// Convenience store parcel (`CVSNET`).
        Cvsnet = "CVSNET",
        /// DHL (`DHL`).
        Dhl = "DHL",
        /// FedEx (`FEDEX`).
        Fedex = "FEDEX",
        /// GSMNTON (`GSMNTON`).
        Gsmnton = "GSMNTON",
        /// WarpEx (`WARPEX`).
        Warpex = "WARPEX",
        /// WIZWA (`WIZWA`).
        Wizwa = "WIZWA",
        /// EMS (`EMS`).
        Ems = "EMS",
        /// DHL Germany (`DHLDE`).
        Dhlde = "DHLDE",
        /// ACI (`ACIEXPRESS`).
        Aciexpress = "ACIEXPRESS",
        /// EZUSA (`EZUSA`).
        Ezusa = "EZUSA",
        /// Pantos (`PANTOS`).
        Pantos = "PANTOS",
        /// UPS (`UPS`).
        Ups = "UPS",
        /// Hyundai international (`HLCGLOBAL`).
        Hlcglobal = "HLCGLOBAL",
        /// CJ Logistics international (`KOREXG`).
        Korexg = "KOREXG",
        /// TNT (`TNT`).
        Tnt = "TNT",
        /// Sungwon Global (`SWGEXP`).
        Swgexp = "SWGEXP",
        /// Daewoon Global (`DAEWOON`).
        Daewoon = "DAEWOON",
        /// USPS (`USPS`).
        Usps = "USPS",
        /// i-parcel (`IPARCEL`).
        Iparcel = "IPARCEL",
        /// Kunyoung (`KUNYOUNG`).
        Kunyoung = "KUNYOUNG",
        /// HPL (`HPL`).
        Hpl = "HPL",
        /// Dadream (`DADREAM`).
        Dadream = "DADREAM",
        /// SLX (`SLX`).
        Slx = "SLX",
        /// Sunpoong (`SFEXPRESS`).
        Sfexpress = "SFEXPRESS",
        /// Honam (`HONAM`).
        Honam = "HONAM",
    }
}
